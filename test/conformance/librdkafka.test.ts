import { describe, inject, it } from 'vitest';
import { conformanceSuite } from './suite.ts';
import type { Codec } from './support/client.ts';
import { librdkafkaClientFactory, loadLibrdkafka } from './support/librdkafka-client.ts';
import { embedded, sharedKafka } from './support/targets.ts';

const loaded = await loadLibrdkafka();

if ('missing' in loaded) {
  // Loud, not silent: the optional dependency did not build here (see .ci/apt-packages.txt).
  process.stderr.write(`\n*** librdkafka conformance SKIPPED: @confluentinc/kafka-javascript is not installed (${loaded.missing}) ***\n\n`);
  describe('librdkafka conformance', () => {
    it.skip('@confluentinc/kafka-javascript is not installed; install it with CKJS_LINKING=dynamic and the libraries in .ci/apt-packages.txt', () => {});
  });
} else {
  const codecs = (['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const).filter((c: Codec) => c === 'none' || loaded.features.includes(c));
  const librdkafka = { name: `librdkafka ${loaded.version}`, codecs, create: librdkafkaClientFactory(loaded.module, codecs) };
  conformanceSuite(librdkafka, embedded);
  conformanceSuite(librdkafka, sharedKafka(inject('kafkaBrokers')));
}
