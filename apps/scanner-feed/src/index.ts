/** The feed's pieces, for benchmarks and tests that drive it directly instead of through main.ts. */
export { type Feed, FeedError, type FeedErrorCode, type FeedOptions, type TickReport, createFeed } from './feed.js';
export { type RedisWriterOptions, RedisWriteError, createRedisWriter } from './adapters/redis-writer.js';
export type { RankingWriter } from './core/ranking-writer.js';
export { type FeedLists, type FeedPlan, type ListState, type ListUpdate, planDeltas, planSnapshots } from './core/feed-plan.js';
export { type Market, type MarketOptions, type TickerProfile, type TickerState, createMarket, stepMarket } from './core/market.js';
export { type Rankings, rankLists } from './core/rank-lists.js';
export { LIST_RULES, type ListRule } from './core/list-rules.js';
export { type TickerQuote, quoteOf } from './core/ticker-quote.js';
export { type FeedConfig, ConfigError, loadConfig } from './config.js';
export { runFeed } from './run-loop.js';
