/**
 * An item's size as DynamoDB bills it (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * attribute names and string values in UTF-8 bytes, numbers about one byte per two significant
 * digits plus one, booleans and nulls one byte, maps and lists 3 bytes plus one per element.
 * A write costs one WCU per started KB of the larger of the item before and after it.
 */
const valueSize = (value: unknown): number => {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number')
    return Math.ceil(String(Math.abs(value)).replace(/^0+|\./g, '').length / 2) + 1;
  if (Array.isArray(value))
    return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (value instanceof Set)
    return [...value].reduce((sum: number, element) => sum + valueSize(element), 0);
  if (typeof value === 'object')
    return 3 + attributesSize(value as Record<string, unknown>) + Object.keys(value).length;
  return 0;
};

const attributesSize = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueSize(value),
    0,
  );

export const dynamoItemBytes = (item: Record<string, unknown>): number => attributesSize(item);

export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));
