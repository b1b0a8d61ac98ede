/**
 * Broker settings for fast single-node tests, shared by the jars and the container harness so both
 * behave the same. Listener settings are added by each, since only they know their addresses.
 */
export function singleNodeTestSettings(): Record<string, string> {
  return {
    // One node: every internal topic must be satisfiable with one replica.
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
    // Creating the default 50 partitions of __consumer_offsets / __transaction_state on first use
    // costs seconds on a small machine; a single node gains nothing from them.
    'offsets.topic.num.partitions': '1',
    'transaction.state.log.num.partitions': '1',
    // Consumers join at once instead of waiting 3 s for more members.
    'group.initial.rebalance.delay.ms': '0',
    // A broker restarted after SIGKILL registers anew, and the controller refuses it until the dead
    // incarnation's session expires (default 9 s); a short session keeps kill+restart quick.
    'broker.session.timeout.ms': '2000',
    'broker.heartbeat.interval.ms': '500',
    'auto.create.topics.enable': 'true',
    'num.partitions': '1',
  };
}

/**
 * The apache/kafka image's environment form of a broker setting: `KAFKA_` + the name upper-cased,
 * with `.` → `_`, `_` → `__` and `-` → `___` (the image's documented mapping).
 */
export function imageEnvName(setting: string): string {
  const mapped = [...setting].map((c) => (c === '.' ? '_' : c === '_' ? '__' : c === '-' ? '___' : c)).join('');
  return `KAFKA_${mapped.toUpperCase()}`;
}
