/**
 * Builds a plugin's `validateOffset` from its offset parser: null when `parse` accepts the
 * offset, else the parser's message (which should say what a valid offset looks like).
 */
export function offsetValidator(parse: (offset: string) => unknown): (offset: string) => string | null {
  return (offset) => {
    try {
      parse(offset);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };
}
