/** A title reduced to what survives between sources: no accents, lower case, words split by `separator`. */
export function foldTitle(title: string, separator = ' '): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/ /g, separator);
}
