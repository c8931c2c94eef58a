import { SyntheticMarketDataSource } from '@scanner/data-maintenance';
import { startFakePolygonServer, syntheticPolygonData } from '@scanner/data-maintenance/testing/fake-polygon-server';
import { nyseCalendar } from '@scanner/market-calendar';

/**
 * The test suite's fake Polygon server, in a process of its own so that answering (and generating the
 * synthetic data it serves) does not share the client's event loop. Prints its URL, then serves until
 * SIGTERM.
 */
const [universe = '0', seed = '0', apiKey = ''] = process.argv.slice(2);
const source = new SyntheticMarketDataSource({ universeSize: Number(universe), seed: Number(seed), calendar: nyseCalendar });
const server = await startFakePolygonServer({ data: syntheticPolygonData(source), apiKey });
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
