import { inject } from 'vitest';
import { conformanceSuite, type ClientSpec } from './suite.ts';
import { kafkajsClient } from './support/kafkajs-client.ts';
import { embedded, sharedKafka } from './support/targets.ts';

const kafkajs: ClientSpec = { name: 'kafkajs', codecs: ['none', 'gzip'], create: kafkajsClient };

conformanceSuite(kafkajs, embedded);
conformanceSuite(kafkajs, sharedKafka(inject('kafkaBrokers')));
