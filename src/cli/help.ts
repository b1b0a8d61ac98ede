export const MAIN_HELP = `tributary — streaming data pipelines declared in YAML

Usage:
  tributary run <pipeline.yaml...> [options]     run pipelines (source -> transforms -> topic -> sinks)
  tributary validate <pipeline.yaml...>          check pipelines; every error with file:line:column
  tributary test <file.test.yaml...>             run pipeline unit tests (transforms + serializer, no broker)
  tributary plugins [name]                       list plugins, or print one plugin's config spec
  tributary broker [--data-dir D] [--port P]     run the embedded Kafka-compatible broker standalone
  tributary dlq replay <pipeline.yaml> [options] re-inject a pipeline's dead letters after a fix
  tributary help [command]                       this help, or a command's help
  tributary --version

Global options:
  --log-level <level>   trace | debug | info | warn | error | silent (default: info; env TRIBUTARY_LOG_LEVEL)
  -h, --help            show help

Logs go to stderr (pretty on a terminal, JSON lines otherwise); stdout carries data only.
Pipelines without kafka.brokers run on the embedded broker (data under ./.tributary/).

Exit codes: 0 success, 1 failure (invalid pipeline, pipeline error), 2 usage error.
`;

export const RUN_HELP = `tributary run <pipeline.yaml...> [options]

Runs one or more pipelines in this process. Pipelines that name no kafka.brokers share one embedded
broker started in-process; its address is printed so tools like kcat can connect.

A pipeline whose source is finite (e.g. datagen with count) stops once the source is exhausted and
every sink has committed up to the end of its topics, unless --keep-running is given. Otherwise it
runs until SIGINT/SIGTERM, then stops the source, flushes, commits and leaves consumer groups.

Options:
  --role <all|source|sinks>   run the whole pipeline (default), only its source, or only its sinks;
                              more processes with --role sinks share the sinks' consumer groups
  --sink <name>               run only this sink (repeatable; implies sinks are run)
  --keep-running              do not stop when a finite source is exhausted
  --data-dir <dir>            embedded broker data directory (default: ./.tributary)
  --broker-port <port>        embedded broker port (default: 9092, or a free port if taken)
  --log-level <level>         trace | debug | info | warn | error | silent
`;

export const VALIDATE_HELP = `tributary validate <pipeline.yaml...>

Checks each pipeline file: YAML syntax, the pipeline schema, plugin names and every plugin's config,
\${env:NAME} references. Prints every error as file:line:column: field.path: message.
Exit codes: 0 all valid, 1 some invalid, 2 usage error.
`;

export const TEST_HELP = `tributary test <file.test.yaml | pipeline.yaml | folder>...

Runs pipeline unit tests: each case's input records go through the pipeline's source-side
transforms and serializers exactly as \`run\` would send them, without a broker, and the output is
compared with the expected records (\`key\`/\`value\` must be equal, \`keyIncludes\`/\`valueIncludes\`
match the fields they name, \`headers\` the headers they name, \`error\` a failed record).
A pipeline argument runs the <name>.test.yaml beside it; a folder runs every *.test.yaml in it.
Failures print the path of each difference and a line diff.
Exit codes: 0 all passed, 1 a case failed or a file could not be run, 2 usage error.
`;

export const PLUGINS_HELP = `tributary plugins [name]

Without a name, lists every built-in plugin (sources, sinks, transforms, predicates, serdes).
With a name, prints that plugin's summary and config fields: type, default, required, description.
Secret fields are marked; their values are never printed or logged.
`;

export const BROKER_HELP = `tributary broker [--data-dir D] [--port P] [--host H]

Runs the embedded single-node Kafka-compatible broker on its own, so several tributary processes
(or any Kafka client) can share it. Binds 127.0.0.1 by default.

Options:
  --data-dir <dir>   where topics, groups and transactions are stored (default: ./.tributary)
  --port <port>      listen port (default: 9092)
  --host <host>      listen address (default: 127.0.0.1)
`;

export const DLQ_HELP = `tributary dlq replay <pipeline.yaml> [options]

Re-injects the dead letters of a pipeline (its errors.deadLetterTopic) after the cause is fixed:

  sink-side failures     (stages sink.deserialize, sink.transform, sink.put; the dead letter names its
                         original topic) go back to that topic and partition with their original key,
                         value and headers (minus tributary.dlq.*), and the sinks read them again
  source-side failures   (stages source.transform, source.serialize) go through the pipeline's source
                         transforms (source.transform only) and serializers into topic.name

The pipeline file is read as it is now, so fix it first (a serializer that accepts the data, a
transform that repairs it). A dead letter that fails again goes back to the dead-letter topic as a
new one, after the point this replay stops at.

The replay reads with its own consumer group, tributary-<pipeline>-dlq-replay, up to the end of the
topic as it was when the replay started, and commits its progress in the same Kafka transaction as
what it produces: an interrupted replay resumes where it stopped, and a second replay only sees dead
letters that arrived since. Starting a replay stops (fences) one still running for the pipeline.

Note: a record re-injected into a topic is read again by every sink of that topic, not only by the
one that failed it.

Options:
  --dry-run               print what would happen to each dead letter (the source transforms and
                          serializers do run); produce and commit nothing
  --limit <n>             replay at most n dead letters (the rest stay for the next replay)
  --from-beginning        start at the beginning of the dead-letter topic instead of after the last
                          replay; dead letters replayed before are replayed again
  --brokers <host:port>   the cluster to use instead of the pipeline's kafka.brokers (e.g. the address
                          a running \`tributary run\` printed for its embedded broker)
  --data-dir <dir>        for pipelines on the embedded broker without --brokers: start it on this data
                          directory (default ./.tributary); not while the pipeline runs on it
  --broker-port <port>    port for that embedded broker

Prints progress on stderr, and a summary on stdout (with --dry-run, one line per dead letter).
Exit codes: 0 done, 1 failure, 2 usage error.
`;
