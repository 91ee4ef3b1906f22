import type {DataType} from '@tensorflow/tfjs-core';
import {kindOf, type OptionKind} from '../core/options';
import {inspectInitializer, type InitializerClass, type ShapeFacts} from './base';

/**
 * What the tests, the error table, the fuzz and stress scripts and the docs need to know about one
 * initializer class, read from the class itself: its registered name, its schema (every option with
 * the kind its check carries, in schema order, the order error messages list them), the dtypes
 * `apply` accepts, and its {@link ShapeFacts}.
 */
export interface InitializerFacts extends ShapeFacts {
  /** Class name, as registered. */
  name: string;
  /** Every option of its schema, in schema order, with its kind. */
  options: Readonly<Record<string, OptionKind>>;
  /** Dtypes `apply` accepts. */
  dtypes: readonly DataType[];
  /** Whether it draws random numbers, i.e. takes a `seed`. */
  seeded: boolean;
}

/**
 * The {@link InitializerFacts} of a class, from an instance built with default options. Fails when
 * a check in its schema carries no kind (build custom checks with `withKind`).
 */
export function describeInitializer(cls: InitializerClass): InitializerFacts {
  const {schema, dtypes} = inspectInitializer(new cls());
  const options: Record<string, OptionKind> = {};
  for (const [key, check] of Object.entries(schema)) {
    const kind = kindOf(check);
    if (kind === undefined)
      throw new Error(
        `${cls.className}: the check of option \`${key}\` has no kind (see withKind)`,
      );
    options[key] = kind;
  }
  const {ranks, example, stress} = cls.shapes;
  return {
    name: cls.className,
    options,
    dtypes: [...dtypes],
    seeded: 'seed' in options,
    ranks,
    example,
    ...(stress === undefined ? {} : {stress}),
  };
}
