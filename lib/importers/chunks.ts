import { ImportError } from './errors';
import { notCsvReason } from './sniff';

/** Bytes consumed so far, for progress in batches. */
export class ByteCount {
  read = 0;
}

/** Text, a Buffer or a readable stream as Buffer chunks. */
export async function* toChunks(input: string | Buffer | NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  if (typeof input === 'string') yield Buffer.from(input, 'utf8');
  else if (Buffer.isBuffer(input)) yield input;
  else for await (const chunk of input as AsyncIterable<Buffer | string>) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/**
 * Passes chunks on, counting bytes and checking the first bytes are text. Holds back up to 512 bytes
 * at the start so a stream that starts with a tiny chunk is still checked.
 */
export async function* checkedChunks(chunks: AsyncIterable<Buffer>, count: ByteCount): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of chunks) {
    count.read += chunk.length;
    if (head === undefined) {
      yield chunk;
      continue;
    }
    head = Buffer.concat([head, chunk]);
    if (head.length < 512) continue;
    check(head);
    yield head;
    head = undefined;
  }
  if (head !== undefined && head.length > 0) {
    check(head);
    yield head;
  }
}

function check(head: Buffer): void {
  const reason = notCsvReason(head);
  if (reason) throw new ImportError(reason);
}

/** A stream's bytes; a read failure becomes the error `describe` makes (an ImportError naming the file). */
export async function* streamChunks(stream: NodeJS.ReadableStream & { destroy(): void }, describe: (error: Error) => Error): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  } catch (error) {
    throw describe(error as Error);
  } finally {
    stream.destroy();
  }
}
