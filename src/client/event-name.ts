type Lower =
  | 'a'
  | 'b'
  | 'c'
  | 'd'
  | 'e'
  | 'f'
  | 'g'
  | 'h'
  | 'i'
  | 'j'
  | 'k'
  | 'l'
  | 'm'
  | 'n'
  | 'o'
  | 'p'
  | 'q'
  | 'r'
  | 's'
  | 't'
  | 'u'
  | 'v'
  | 'w'
  | 'x'
  | 'y'
  | 'z';
type Alnum = Lower | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

/** Rest of a snake_case segment after its first letter: `[a-z0-9]*(_[a-z0-9]+)*`. */
type SnakeTail<S extends string> = S extends `${infer C}${infer R}`
  ? C extends Alnum
    ? SnakeTail<R>
    : C extends '_'
      ? R extends `${infer D}${infer T}`
        ? D extends Alnum
          ? SnakeTail<T>
          : false
        : false
      : false
  : true;

/**
 * `true` when `S` is one snake_case segment: `[a-z][a-z0-9]*(_[a-z0-9]+)*`
 * (no leading, trailing or doubled underscore; a wide `string` is `false`).
 */
export type IsSnakeSegment<S extends string> = S extends `${infer C}${infer R}`
  ? C extends Lower
    ? SnakeTail<R>
    : false
  : false;

/**
 * `true` when `S` follows the event grammar `page__element` or `page__element--detail`,
 * each segment snake_case. Built on template-literal inference, so it runs at compile time.
 *
 * @example
 * type A = IsEventName<'create_trip__cta--generate'>; // true
 * type B = IsEventName<'create-trip__cta'>;           // false
 */
export type IsEventName<S extends string> = S extends `${infer Page}__${infer Rest}`
  ? IsSnakeSegment<Page> extends true
    ? Rest extends `${infer Element}--${infer Detail}`
      ? IsSnakeSegment<Element> extends true
        ? IsSnakeSegment<Detail>
        : false
      : IsSnakeSegment<Rest>
    : false
  : false;

/**
 * `S` itself when it is a valid event name, otherwise `never`; use it to brand a literal.
 *
 * @example
 * const name: EventName<'checkout__cta--pay'> = 'checkout__cta--pay';
 */
export type EventName<S extends string> = IsEventName<S> extends true ? S : never;

const SEGMENT = '[a-z][a-z0-9]*(?:_[a-z0-9]+)*';
const EVENT_NAME = new RegExp(`^${SEGMENT}__${SEGMENT}(?:--${SEGMENT})?$`);

/**
 * Runtime twin of {@link IsEventName}: checks `page__element` / `page__element--detail`
 * with snake_case segments. Use it on names that come from untyped code.
 *
 * @example
 * isEventName('create_trip__toggle--roundtrip'); // true
 * isEventName('CreateTrip');                     // false
 */
export function isEventName(name: unknown): name is string {
  return typeof name === 'string' && EVENT_NAME.test(name);
}
