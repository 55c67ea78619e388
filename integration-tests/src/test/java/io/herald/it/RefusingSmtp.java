package io.herald.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal SMTP server on 127.0.0.1 that takes mail for every recipient but one mailbox, which it refuses at
 * RCPT TO with a reply the test chooses (a real server's "550 5.1.1 no such user"). GreenMail cannot refuse
 * one recipient, and this is all the conversation Jakarta Mail needs.
 */
final class RefusingSmtp implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool();
    private final String refused;
    private final String reply;
    /** The recipients of every message taken, one entry a message. */
    private final List<String> delivered = new CopyOnWriteArrayList<>();

    RefusingSmtp(String refusedMailbox, String reply) throws IOException {
        this.refused = refusedMailbox.toLowerCase(Locale.ROOT);
        this.reply = reply;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.submit(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    List<String> delivered() {
        return List.copyOf(delivered);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.submit(() -> converse(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void converse(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
            OutputStream out = socket.getOutputStream();
            say(out, "220 refusing-smtp ready");
            String recipient = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String command = line.toUpperCase(Locale.ROOT);
                if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                    say(out, "250-refusing-smtp\r\n250 8BITMIME");
                } else if (command.startsWith("RCPT TO:")) {
                    String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>')).toLowerCase(Locale.ROOT);
                    if (address.equals(refused)) {
                        say(out, reply);
                    } else {
                        recipient = address;
                        say(out, "250 2.1.5 ok");
                    }
                } else if (command.equals("DATA")) {
                    say(out, "354 end with <CRLF>.<CRLF>");
                    for (String data = in.readLine(); data != null && !data.equals("."); data = in.readLine()) {
                        // the message itself is not kept
                    }
                    delivered.add(recipient);
                    say(out, "250 2.0.0 queued");
                } else if (command.equals("QUIT")) {
                    say(out, "221 bye");
                    return;
                } else {
                    say(out, "250 ok"); // MAIL FROM, RSET, NOOP
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void say(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }
}
