/**
 * Polygon's ticker details carry an SEC SIC code but no sector. The scanner filters on trader-facing
 * sector names, so SIC codes map to them here: specific industry ranges first (software is
 * Technology, not "Services"), then the SEC's SIC divisions as the fallback for everything else.
 * The industry is Polygon's `sic_description` as is.
 */

type Range = readonly [from: number, to: number, sector: string];

/** Checked in order: the first range holding the code wins. */
const SPECIFIC: readonly Range[] = [
  [2830, 2836, 'Healthcare'], // pharmaceutical preparations, biologicals
  [3840, 3851, 'Healthcare'], // surgical, medical, dental, ophthalmic instruments
  [5122, 5122, 'Healthcare'], // drugs wholesale
  [6324, 6324, 'Healthcare'], // hospital and medical service plans
  [8000, 8099, 'Healthcare'], // health services
  [8731, 8731, 'Healthcare'], // commercial biological research
  [3570, 3579, 'Technology'], // computer and office equipment
  [3600, 3600, 'Technology'],
  [3660, 3679, 'Technology'], // communications equipment, semiconductors, electronic components
  [3810, 3829, 'Technology'], // navigation and measuring instruments
  [7370, 7379, 'Technology'], // software, data processing, computer services
  [1300, 1389, 'Energy'], // oil and gas extraction and services
  [2900, 2999, 'Energy'], // petroleum refining
  [4610, 4619, 'Energy'], // pipelines
  [4922, 4923, 'Energy'], // natural gas transmission
  [5171, 5172, 'Energy'], // petroleum products wholesale
  [4800, 4899, 'Communication Services'], // telephone, broadcasting, cable
  [2710, 2799, 'Communication Services'], // publishing and printing
  [7810, 7829, 'Communication Services'], // motion pictures
  [4900, 4999, 'Utilities'], // electric, gas, water, sanitary
  [6798, 6798, 'Real Estate'], // real estate investment trusts
  [6500, 6599, 'Real Estate'],
  [1520, 1531, 'Consumer Cyclical'], // home builders
  [2840, 2844, 'Consumer Defensive'], // soaps, cleaners, cosmetics
  [5331, 5331, 'Consumer Defensive'], // variety stores
  [5400, 5499, 'Consumer Defensive'], // food stores
  [5140, 5149, 'Consumer Defensive'], // groceries wholesale
  [5912, 5912, 'Consumer Defensive'], // drug stores
  [2000, 2199, 'Consumer Defensive'], // food, beverages, tobacco
  [100, 999, 'Consumer Defensive'], // agriculture
  [8200, 8299, 'Consumer Defensive'], // education
  [2200, 2399, 'Consumer Cyclical'], // textiles and apparel
  [2500, 2599, 'Consumer Cyclical'], // furniture
  [3100, 3199, 'Consumer Cyclical'], // leather goods
  [3630, 3651, 'Consumer Cyclical'], // household appliances, audio and video
  [3710, 3716, 'Consumer Cyclical'], // motor vehicles and parts
  [3940, 3949, 'Consumer Cyclical'], // toys and sporting goods
  [5200, 5999, 'Consumer Cyclical'], // retail
  [7000, 7099, 'Consumer Cyclical'], // hotels
  [7900, 7999, 'Consumer Cyclical'], // amusement and recreation
  [1000, 1499, 'Basic Materials'], // metal and mineral mining
  [2400, 2499, 'Basic Materials'], // lumber and wood
  [2600, 2699, 'Basic Materials'], // paper
  [2800, 2899, 'Basic Materials'], // chemicals
  [3200, 3399, 'Basic Materials'], // stone, clay, glass, primary metals
  [6000, 6799, 'Financial Services'], // banks, credit, brokers, insurance, holding offices
  [1500, 1799, 'Industrials'], // construction
  [3400, 3599, 'Industrials'], // fabricated metal, industrial machinery
  [3610, 3629, 'Industrials'], // electrical equipment
  [3720, 3799, 'Industrials'], // aerospace, ships, railroad equipment
  [4000, 4799, 'Industrials'], // transportation
  [5000, 5099, 'Industrials'], // durable goods wholesale
  [7300, 7399, 'Industrials'], // business services
  [8700, 8799, 'Industrials'], // engineering, accounting, management services
];

/** The SEC's SIC divisions, for codes no specific range claims. */
const DIVISIONS: readonly Range[] = [
  [100, 999, 'Agriculture, Forestry and Fishing'],
  [1000, 1499, 'Mining'],
  [1500, 1799, 'Construction'],
  [2000, 3999, 'Manufacturing'],
  [4000, 4999, 'Transportation and Public Utilities'],
  [5000, 5199, 'Wholesale Trade'],
  [5200, 5999, 'Retail Trade'],
  [6000, 6799, 'Finance, Insurance and Real Estate'],
  [7000, 8999, 'Services'],
  [9100, 9729, 'Public Administration'],
  [9900, 9999, 'Nonclassifiable'],
];

/** The sector for an SIC code (`"3571"` or 3571); null when the code is not a valid SIC code. */
export function sectorOfSic(code: string | number): string | null {
  const text = String(code).trim();
  if (!/^\d{3,4}$/.test(text)) return null;
  const sic = Number(text);
  for (const table of [SPECIFIC, DIVISIONS]) {
    for (const [from, to, sector] of table) if (sic >= from && sic <= to) return sector;
  }
  return null;
}
