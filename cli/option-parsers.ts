import { InvalidArgumentError } from 'commander';

/** A comma-separated option value as a list, blanks dropped. */
export const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** A whole-number option value; anything else is a usage error (exit 2). */
export const wholeNumber = (value: string): number => {
  const number = Number(value);
  if (!Number.isInteger(number)) throw new InvalidArgumentError(`"${value}" is not a whole number`);
  return number;
};

/** Standard input as text, without its final line break (for --password-stdin). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
