package io.herald.tools.bench;

import io.herald.tools.cli.Args;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link FastReceiver} in a process of its own, as a user's webhook endpoint would be: the end-to-end
 * bench starts it, sends Herald's (and db-scheduler's) webhooks to it, and reads its counts from
 * {@code GET /stats}. Runs until the process is stopped.
 */
public final class ReceiverProcess {
    private ReceiverProcess() {}

    public static void main(String[] argv) throws Exception {
        int port = 0;
        Args args = new Args(argv);
        try {
            while (args.hasNext()) {
                if (!args.nextFlag().equals("--port")) {
                    throw args.unknown("bench");
                }
                port = args.positive();
            }
        } catch (Args.UsageException e) {
            System.err.println("herald receiver: " + e.getMessage());
            System.exit(2);
        }
        FastReceiver receiver = new FastReceiver(64, new LatencyRecorder(), new int[] {port}, null, 0);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                receiver.close();
            } catch (Exception e) {
                System.err.println("herald receiver: stopping failed: " + e);
            }
            stopped.countDown();
        }, "receiver-stop"));
        System.out.println("receiver listening on " + receiver.url());
        stopped.await();
    }
}
