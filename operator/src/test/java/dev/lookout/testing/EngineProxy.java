package dev.lookout.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 in front of an engine's unix socket, which can break connections the way networks do
 * without telling either end: it can make an events stream go silent (bytes dropped, both sockets kept open,
 * as after a NAT or firewall forgot the flow), and lose the answer to one request after the engine acted on it.
 * Everything else passes untouched, so the client sees a working engine at {@code tcp://127.0.0.1:port}.
 */
public final class EngineProxy implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> loseAnswerTo = new AtomicReference<>();
    private final Thread acceptor;
    private volatile boolean closed;

    /** One client connection and its twin to the engine. */
    private static final class Link {
        final SocketChannel client;
        final SocketChannel engine;
        volatile boolean events;
        volatile boolean silent;
        volatile boolean loseAnswer;

        Link(SocketChannel client, SocketChannel engine) {
            this.client = client;
            this.engine = engine;
        }

        void close() {
            for (SocketChannel c : List.of(client, engine)) {
                try {
                    c.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }
    }

    private EngineProxy(Path socket) throws IOException {
        this.socket = socket;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        this.acceptor = new Thread(this::accept, "engine-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static EngineProxy to(Path engineSocket) {
        try {
            return new EngineProxy(engineSocket);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1", e);
        }
    }

    /** {@code tcp://127.0.0.1:PORT}. */
    public String url() {
        try {
            return "tcp://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every events stream open now stops delivering, and says nothing about it; new connections work. */
    public int silenceEventStreams() {
        int n = 0;
        for (Link link : links) {
            if (link.events && link.client.isOpen()) {
                link.silent = true;
                n++;
            }
        }
        return n;
    }

    /**
     * The next request whose head contains {@code fragment} reaches the engine, and its answer is lost: once the
     * engine starts answering, the client's connection is closed without a byte of it.
     */
    public void loseNextAnswerTo(String fragment) {
        loseAnswerTo.set(fragment);
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                Link link = new Link(client, engine);
                links.add(link);
                pump(link, true);
                pump(link, false);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Link link, boolean upstream) {
        Thread t = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            SocketChannel from = upstream ? link.client : link.engine;
            SocketChannel to = upstream ? link.engine : link.client;
            try {
                while (from.read(buffer.clear()) >= 0) {
                    buffer.flip();
                    if (upstream) {
                        inspectRequest(link, buffer);
                    } else if (link.loseAnswer) {
                        link.close();
                        return;
                    }
                    if (!link.silent) {
                        while (buffer.hasRemaining()) {
                            to.write(buffer);
                        }
                    }
                }
            } catch (IOException e) {
                // one side went away: so does the other
            }
            link.close();
            links.remove(link);
        }, "engine-proxy-" + (upstream ? "up" : "down"));
        t.setDaemon(true);
        t.start();
    }

    private void inspectRequest(Link link, ByteBuffer buffer) {
        String head = StandardCharsets.ISO_8859_1.decode(buffer.duplicate()).toString();
        int end = head.indexOf("\r\n");
        String requestLine = end < 0 ? head : head.substring(0, end);
        if (requestLine.startsWith("GET ") && requestLine.contains("/events")) {
            link.events = true;
        }
        String fragment = loseAnswerTo.get();
        if (fragment != null && requestLine.contains(fragment) && loseAnswerTo.compareAndSet(fragment, null)) {
            link.loseAnswer = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        links.forEach(Link::close);
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
