import { DynamoDBClient, ScanCommand, BatchWriteItemCommand, CreateTableCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal, freePort, localCredentials, localRegion } from '/work/main/stand-ins/src/index.js';
const N = Number(process.argv[2] ?? 100000);
const port = await freePort();
const local = await startDynamoDbLocal({ port, stateDir: '/tmp/eng6/probe' });
const client = new DynamoDBClient({ endpoint: local.endpoint, region: localRegion, credentials: localCredentials });
try {
  await client.send(new CreateTableCommand({ TableName: 'probe', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'deposit_id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'deposit_id', KeyType: 'HASH' }] }));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < N) {
      const s = next; next = Math.min(N, next + 25);
      const reqs = [];
      for (let i = s; i < next; i++) reqs.push({ PutRequest: { Item: { deposit_id: { S: `dep-${String(i).padStart(7, '0')}` }, user_id: { S: `user-${String(1 + i % 20000).padStart(5, '0')}` }, amount: { N: String(1000 + i % 9000) }, deposited_at: { S: '2026-11-01T00:00:00.000Z' }, source_key: { S: 'inbox/bench-0.csv' }, source_line: { N: String(i) }, credited_at: { S: '2026-11-01T00:00:00.000Z' } } } });
      let r: any = reqs;
      while (r.length) { const o = await client.send(new BatchWriteItemCommand({ RequestItems: { probe: r } })); r = o.UnprocessedItems?.probe ?? []; }
    }
  }));
  console.log('seeded', N, 'in', ((performance.now() - t0) / 1000).toFixed(1), 's');
  for (const [segments, projection, limit] of [[1, true, undefined], [1, true, undefined], [1, true, undefined], [4, true, undefined], [4, true, undefined], [2, true, undefined]] as const) {
    const t = performance.now();
    let pages = 0, items = 0; const pageTimes: number[] = [];
    await Promise.all(Array.from({ length: segments }, async (_, segment) => {
      let key: Record<string, AttributeValue> | undefined;
      do {
        const p0 = performance.now();
        const out = await client.send(new ScanCommand({ TableName: 'probe', ...(projection ? { ProjectionExpression: 'deposit_id, user_id, amount' } : {}), ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}), ...(key ? { ExclusiveStartKey: key } : {}), ...(limit ? { Limit: limit } : {}) }));
        pageTimes.push(performance.now() - p0);
        pages++; items += out.Count ?? 0; key = out.LastEvaluatedKey;
      } while (key);
    }));
    const sorted=[...pageTimes].sort((a,b)=>a-b); console.log('  median page ms', sorted[Math.floor(sorted.length/2)]?.toFixed(0), 'max', sorted.at(-1)?.toFixed(0));
    const first = pageTimes.slice(0, 3).map((x) => x.toFixed(0)).join(',');
    const last = pageTimes.slice(-3).map((x) => x.toFixed(0)).join(',');
    console.log(`segments=${segments} projection=${projection} limit=${limit}: ${items} items, ${pages} pages, ${((performance.now() - t) / 1000).toFixed(2)} s; first pages ms ${first}; last ${last}`);
  }
} finally { await local.stop(); }
