import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { SourceError } from '../market-data-source.js';

/**
 * Streams the lines of a gzip file with their 1-based numbers, never holding the whole file: a
 * minute-aggregates file is hundreds of megabytes uncompressed. A missing file is NOT_FOUND; a
 * corrupt or truncated gzip stream is INVALID_RESPONSE naming the file.
 */
export async function* readGzipLines(path: string): AsyncGenerator<{ line: string; number: number }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SourceError('NOT_FOUND', `flat file ${path} does not exist`, 1, { cause: error });
    throw new SourceError('INVALID_RESPONSE', `flat file ${path} cannot be opened: ${(error as Error).message}`, 1, { cause: error });
  }
  const input = handle.createReadStream();
  const gunzip = createGunzip();
  // pipe() does not forward errors; the readline iterator rejects on errors of its own input only.
  input.on('error', (error) => gunzip.destroy(error));
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      yield { line, number };
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError('INVALID_RESPONSE', `flat file ${path} is not a readable gzip file after line ${number}: ${(error as Error).message}`, 1, {
      cause: error,
    });
  } finally {
    lines.close();
    input.destroy();
    gunzip.destroy();
    await handle.close().catch(() => undefined);
  }
}
