/** Tracks which columns have data in some row, so the header leaves out columns that are empty everywhere. */
export class ColumnUse {
  private readonly used: boolean[];

  constructor(private readonly columns: readonly string[]) {
    this.used = columns.map(() => false);
  }

  note(cells: readonly string[]): void {
    cells.forEach((cell, index) => {
      if (cell !== '') this.used[index] = true;
    });
  }

  /** Positions of the used columns, in the format's column order. */
  indexes(): number[] {
    return this.columns.flatMap((_, index) => (this.used[index] ? [index] : []));
  }

  header(): string[] {
    return this.indexes().map((index) => this.columns[index]);
  }
}

export function project(cells: readonly string[], indexes: readonly number[]): string[] {
  return indexes.map((index) => cells[index]);
}
