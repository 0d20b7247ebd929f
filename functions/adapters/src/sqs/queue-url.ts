/** `arn:aws:sqs:<region>:<account>:<name>` ↔ `https://sqs.<region>.amazonaws.com/<account>/<name>`. */
export const queueUrlFromArn = (arn: string): string => {
  const [, partition, service, region, account, name] = arn.split(':');
  if (partition === undefined || service !== 'sqs' || !region || !account || !name)
    throw new Error(`not an SQS queue ARN: ${arn}`);
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
};
