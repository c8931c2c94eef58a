import { describe, expect, it } from 'vitest';
import { sectorOfSic } from './sic-sectors.js';

describe('sectorOfSic', () => {
  it('maps well-known issuers to trader-facing sectors', () => {
    expect(sectorOfSic('3571')).toBe('Technology'); // Apple: electronic computers
    expect(sectorOfSic('7372')).toBe('Technology'); // Microsoft: prepackaged software
    expect(sectorOfSic('3674')).toBe('Technology'); // NVIDIA: semiconductors
    expect(sectorOfSic('2834')).toBe('Healthcare'); // Pfizer: pharmaceutical preparations
    expect(sectorOfSic('6021')).toBe('Financial Services'); // JPMorgan: national commercial banks
    expect(sectorOfSic('2911')).toBe('Energy'); // Exxon: petroleum refining
    expect(sectorOfSic('3711')).toBe('Consumer Cyclical'); // Tesla: motor vehicles
    expect(sectorOfSic('5331')).toBe('Consumer Defensive'); // Walmart: variety stores
    expect(sectorOfSic('5961')).toBe('Consumer Cyclical'); // Amazon: catalog and mail-order
    expect(sectorOfSic('4813')).toBe('Communication Services'); // AT&T: telephone communications
    expect(sectorOfSic('4911')).toBe('Utilities'); // electric services
    expect(sectorOfSic('6798')).toBe('Real Estate'); // REITs
    expect(sectorOfSic('3721')).toBe('Industrials'); // aircraft
    expect(sectorOfSic('1040')).toBe('Basic Materials'); // gold ores
    expect(sectorOfSic(6770)).toBe('Financial Services'); // blank checks (SPACs)
  });

  it('falls back to the SEC division and refuses what is not an SIC code', () => {
    expect(sectorOfSic('3990')).toBe('Manufacturing');
    expect(sectorOfSic('8900')).toBe('Services');
    expect(sectorOfSic('9995')).toBe('Nonclassifiable');
    expect(sectorOfSic('9200')).toBe('Public Administration');
    expect(sectorOfSic('')).toBeNull();
    expect(sectorOfSic('abc')).toBeNull();
    expect(sectorOfSic('12345')).toBeNull();
    expect(sectorOfSic('0050')).toBeNull();
  });
});
