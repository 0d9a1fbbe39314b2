package dev.lookout.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * An engine's unix socket behind TLS on 127.0.0.1, as {@code dockerd --tlsverify -H tcp://…} serves it: the
 * client must present a certificate the context trusts. (A private dockerd's own tcp listener would be inside
 * its network namespace, out of the test's reach.)
 */
public final class TlsEngineFront implements AutoCloseable {
    private final Path socket;
    private final SSLServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private TlsEngineFront(Path socket, SSLContext context) throws IOException {
        this.socket = socket;
        this.server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 16,
                InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        Thread acceptor = new Thread(this::accept, "tls-engine-front");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static TlsEngineFront to(Path engineSocket, SSLContext context) {
        try {
            return new TlsEngineFront(engineSocket, context);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1", e);
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                // Not Channels.newOutputStream(engine): its writes take the channel's blocking lock, which the
                // read of the other direction holds while it waits, so nothing would ever be written.
                pipe(client.getInputStream(), new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                        while (buffer.hasRemaining()) {
                            engine.write(buffer);
                        }
                    }
                }, client, engine);
                pipe(Channels.newInputStream(engine), client.getOutputStream(), client, engine);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static void pipe(InputStream from, OutputStream to, Socket client, SocketChannel engine) {
        Thread t = new Thread(() -> {
            try {
                from.transferTo(to);
            } catch (IOException e) {
                // a failed handshake or a closed side: end both
            }
            try {
                client.close();
                engine.close();
            } catch (IOException e) {
                // closing
            }
        }, "tls-engine-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
