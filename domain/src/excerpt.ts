/** Values echoed in messages are cut short: a garbage CSV field or JSON string can be megabytes long. */
export const excerpt = (value: string, max = 40): string =>
  value.length > max ? `${value.slice(0, max - 3)}...` : value;
