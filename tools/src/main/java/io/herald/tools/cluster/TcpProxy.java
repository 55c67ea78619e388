package io.herald.tools.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy that a drill can cut, to partition one node from one server (ZooKeeper or
 * MySQL) while everything else still reaches it.
 *
 * <p>A cut is a black hole, not a reset: open connections stop carrying bytes in both directions and
 * new connections are accepted but go nowhere, so the client finds out only through its own timeouts,
 * as it would behind a failed switch. {@link #restore()} closes every connection that lived through the
 * cut (their peers have given up on them by then) and forwards new ones again.
 */
public final class TcpProxy implements Closeable {
    private final String name;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    public TcpProxy(String name, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public String name() {
        return name;
    }

    public boolean isCut() {
        return cut;
    }

    /** Black-holes every open and future connection until {@link #restore()}. */
    public synchronized void cut() {
        cut = true;
        links.forEach(Link::freeze);
    }

    /** Drops the connections that lived through the cut and forwards new connections again. */
    public synchronized void restore() {
        cut = false;
        for (Link link : links) {
            if (link.frozen) {
                link.close();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                Link link = new Link(client);
                links.add(link);
                synchronized (this) {
                    if (cut) {
                        link.freeze(); // held open and silent, like a SYN into a black hole that got through
                        continue;
                    }
                }
                link.connect();
            } catch (IOException e) {
                if (!closed) {
                    System.err.printf("proxy %s: accept failed, will keep running: %s%n", name, e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.forEach(Link::close);
    }

    /** One client connection and, unless it arrived during a cut, its upstream connection. */
    private final class Link {
        private final Socket client;
        private volatile Socket upstream;
        private volatile boolean frozen;
        private volatile boolean done;

        Link(Socket client) {
            this.client = client;
        }

        void connect() {
            try {
                Socket socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                upstream = socket;
                pump(client, socket, "up");
                pump(socket, client, "down");
            } catch (IOException e) {
                close(); // the target is down: the client sees its connection closed, as with a refused connect
            }
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread t = new Thread(() -> copy(from, to), "proxy-" + name + "-" + direction);
            t.setDaemon(true);
            t.start();
        }

        private void copy(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!awaitPassable()) {
                        return;
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // one side closed: close both below
            }
            close();
        }

        /** Holds the bytes while frozen; false once the link is closed. */
        private synchronized boolean awaitPassable() {
            while (frozen && !done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !done;
        }

        synchronized void freeze() {
            frozen = true;
        }

        void close() {
            synchronized (this) {
                done = true;
                notifyAll();
            }
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }

        private static void closeQuietly(Socket socket) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }
}
