import { subjectName, type SubjectNameStrategy } from '../subject-naming.ts';
import { RegistryError, RegistryErrorCodes, type SchemaText } from './model.ts';
import { OnceCache } from './once-cache.ts';
import type { RegistryConnection } from './serde-config.ts';

export interface SubjectIdsOptions {
  connection: RegistryConnection;
  strategy: SubjectNameStrategy;
  isKey: boolean;
  autoRegister: boolean;
}

/**
 * The registry ids of one writer schema, per topic it is written to. After the first record of a
 * topic the id is answered synchronously, so a serializer's steady state never awaits.
 */
export class SubjectIds {
  private readonly subjects = new Map<string, string>();
  private readonly ids = new OnceCache<string, number>((subject) => this.resolve(subject));

  constructor(
    private readonly schema: SchemaText,
    /** The Avro record's full name or the JSON Schema's title, for the record strategies. */
    private readonly recordName: string | undefined,
    private readonly o: SubjectIdsOptions,
  ) {}

  /** A number once known, else a promise of it. Registry failures reject with the registry's error. */
  idFor(topic: string): number | Promise<number> {
    let subject = this.subjects.get(topic);
    if (subject === undefined) {
      subject = subjectName(this.o.strategy, topic, this.o.isKey, this.recordName);
      this.subjects.set(topic, subject);
    }
    return this.ids.get(subject);
  }

  private async resolve(subject: string): Promise<number> {
    const client = await this.o.connection.get();
    if (this.o.autoRegister) return client.register(subject, this.schema);
    try {
      return (await client.lookup(subject, this.schema)).id;
    } catch (err) {
      if (err instanceof RegistryError && (err.errorCode === RegistryErrorCodes.SUBJECT_NOT_FOUND || err.errorCode === RegistryErrorCodes.SCHEMA_NOT_FOUND)) {
        throw new Error(`the schema is not registered under subject "${subject}" and autoRegister is false`, { cause: err });
      }
      throw err;
    }
  }
}
