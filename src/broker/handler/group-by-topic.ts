/** Regroups per-partition results into the `[topic [partition]]` nesting every response uses, keeping first-seen order. */
export function groupByTopic<T extends { topic: string }, P>(items: T[], toPartition: (item: T) => P): Array<{ name: string; partitions: P[] }> {
  const byTopic = new Map<string, P[]>();
  for (const item of items) {
    let list = byTopic.get(item.topic);
    if (!list) byTopic.set(item.topic, (list = []));
    list.push(toPartition(item));
  }
  return [...byTopic].map(([name, partitions]) => ({ name, partitions }));
}
