import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * Which side of a schema is published: `input` for what a partner sends (an amount may be a
 * decimal string), `output` for what creditline sends (integer cents). zod 4 emits both.
 */
export type SchemaSide = 'input' | 'output';

/** A zod schema as JSON Schema 2020-12, the dialect of OpenAPI 3.1. */
export const toJsonSchema = (schema: z.ZodType, side: SchemaSide): JsonSchema => {
  const generated: JsonSchema = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: side,
    // A transform's output cannot be described; the published side never needs it.
    unrepresentable: 'throw',
  });
  // Each file and component names the dialect once, at its own top.
  delete generated['$schema'];
  return generated;
};
