/**
 * Bundled by `infra/lib/source-mapped-stack-traces.test.ts`: an error thrown through a method, a
 * constructor-built object and an async arrow, whose formatted stack the test compares.
 */
class Ledger {
  constructor(private readonly amount: number) {}

  debit(): never {
    throw new RangeError(`cannot debit ${this.amount}`);
  }
}

const settle = async (amount: number): Promise<never> => {
  await Promise.resolve();
  return new Ledger(amount).debit();
};

export const handler = async (): Promise<string> => {
  try {
    await settle(25);
    return 'settled';
  } catch (error) {
    return error instanceof Error ? (error.stack ?? '') : String(error);
  }
};
