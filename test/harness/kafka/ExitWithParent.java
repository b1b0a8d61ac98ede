import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs another main class (kafka.Kafka, kafka.tools.StorageTool) in this JVM and halts the JVM as soon
 * as its standard input reaches end-of-file.
 *
 * Why: the test harness (test/harness/kafka.ts) spawns the broker with a pipe on stdin and never writes
 * to it. The kernel closes that pipe when the test process dies for any reason, SIGKILL included (which
 * runs no exit handlers), so the broker cannot outlive the tests and squat on its port and data dir.
 * Java has no parent-death signal of its own; this is the portable substitute.
 *
 * Usage: java -cp <dir of this class>:<kafka classpath> ExitWithParent <main class> [args...]
 * Invariant: stdin is reserved for the watchdog; the wrapped program must not read it.
 */
final class ExitWithParent {
  private ExitWithParent() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: ExitWithParent <main class> [args...]");
      System.exit(2);
    }
    Thread watchdog = new Thread(ExitWithParent::haltAtEndOfInput, "exit-with-parent");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void haltAtEndOfInput() {
    try {
      byte[] buffer = new byte[256];
      while (System.in.read(buffer) != -1) {
        // Input is ignored: only its end matters.
      }
    } catch (IOException e) {
      // A broken pipe means the same thing as end-of-file: the parent is gone.
    }
    // halt, not exit: the parent is gone, nobody will reuse this data, and a clean shutdown can hang
    // for many seconds waiting on a controller that may be the one shutting down.
    System.err.println("exit-with-parent: parent process is gone (stdin closed), halting");
    Runtime.getRuntime().halt(137);
  }
}
