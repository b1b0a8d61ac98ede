/**
 * Topic names from a template with `${database}` and `${table}` (a template without them is a fixed
 * topic). Characters Kafka does not allow in topic names become `_`, so any table name routes.
 */
export class TopicRouter {
  private readonly template: string;
  private readonly cache = new Map<string, string>();

  constructor(template: string) {
    this.template = template;
  }

  topicFor(database: string, table: string): string {
    const key = `${database}\0${table}`;
    let topic = this.cache.get(key);
    if (topic === undefined) {
      topic = this.template.replaceAll('${database}', database).replaceAll('${table}', table).replace(/[^A-Za-z0-9._-]/g, '_');
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(key, topic);
    }
    return topic;
  }
}
