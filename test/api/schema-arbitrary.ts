import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON Schemas in /openapi.json: values that
 * fit the schema, and values "around" it (a field dropped, an extra field, a
 * wrong type, a boundary length), so a fuzz run probes both the happy paths
 * and the validator's edges.
 */
export type JsonSchema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
};

export interface ArbitraryOptions {
  components: Record<string, JsonSchema>;
  /** Known-good values for fields by name (ids of the directory, for instance). */
  known?: Record<string, readonly unknown[]>;
  /** Chance (0..1) of replacing any value with something that breaks the schema. */
  breakRate?: number;
}

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  fc.constant(''),
  fc.constant('x'.repeat(6000)),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

export function arbitraryFor(schema: JsonSchema, o: ArbitraryOptions, name = ''): fc.Arbitrary<unknown> {
  const fits = fitting(schema, o, name);
  const rate = o.breakRate ?? 0.1;
  if (rate <= 0) return fits;
  const weight = Math.max(1, Math.round(rate * 100));
  return fc.oneof({ weight: 100 - weight, arbitrary: fits }, { weight, arbitrary: junk });
}

function fitting(schema: JsonSchema, o: ArbitraryOptions, name: string): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const target = o.components[schema.$ref.split('/').pop() ?? ''];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return fitting(target, o, name);
  }
  const known = o.known?.[name];
  const plain = plainFitting(schema, o);
  return known && known.length > 0
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: plain })
    : plain;
}

function plainFitting(schema: JsonSchema, o: ArbitraryOptions): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fitting(s, o, '')));
  switch (schema.type) {
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(props).map(([k, s]) => {
        // Required fields are mostly present; optional ones come and go.
        const present = required.has(k) ? fc.integer({ min: 0, max: 19 }).map((n) => n !== 0) : fc.boolean();
        return fc.tuple(fc.constant(k), present, arbitraryFor(s, o, k));
      });
      return fc
        .tuple(
          fc.tuple(...entries),
          fc.oneof(
            { weight: 9, arbitrary: fc.constant(null) },
            { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), junk) },
          ),
        )
        .map(([fields, extra]) => {
          const out: Record<string, unknown> = {};
          for (const [k, present, v] of fields) if (present) out[k] = v;
          if (extra) out[extra[0]] = extra[1];
          return out;
        });
    }
    case 'array':
      return fc.array(schema.items ? arbitraryFor(schema.items, o) : junk, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case 'string':
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'date')
        return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'email')
        return fc
          .tuple(
            fc.stringMatching(/^[a-z][a-z0-9.]{0,10}[a-z0-9]$/),
            fc.constantFrom('demo.edu.cn', 'example.com'),
          )
          .map(([user, host]) => `${user}@${host}`);
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 40, 40),
        unit: fc.oneof(fc.constantFrom(...'整改漏水ab c\n'), fc.string({ minLength: 1, maxLength: 1 })),
      });
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -1000, -1e6),
        max: Math.min(schema.maximum ?? 1000, 1e6),
      });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    default:
      return junk;
  }
}
