/*
 * Starts DynamoDB Local with its Jetty connector bound to 127.0.0.1 only.
 *
 * DynamoDB Local has no option to choose the listening interface: ServerRunner builds
 * `new org.eclipse.jetty.server.Server(port)`, which listens on every interface. This launcher
 * lets ServerRunner parse the usual command line (-port, -inMemory, -dbPath, -sharedDb, ...),
 * then sets the host of the still-unstarted connector to 127.0.0.1 before starting it.
 *
 * Protocol with local_stack/dynamodb_local.py:
 *   - prints "GATHER-DYNAMODB-LOCAL READY 127.0.0.1:<port>" on stdout once the socket is bound,
 *     so the Python side never mistakes another server on the same port for this one;
 *   - exits with status 2 if the port cannot be bound, 1 on any other start-up failure;
 *   - exits when stdin reaches end-of-file, so the JVM dies with the Python process that owns
 *     the pipe even if that process is killed without running its clean-up code.
 */

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.BindException;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public final class LoopbackDynamoDB {
    private static final String HOST = "127.0.0.1";

    private LoopbackDynamoDB() {
    }

    public static void main(String[] args) throws Exception {
        watchStdin();

        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
        Server server = jettyServer(proxy);
        int port = -1;
        for (Connector connector : server.getConnectors()) {
            ServerConnector serverConnector = (ServerConnector) connector;
            serverConnector.setHost(HOST);
            port = serverConnector.getPort();
        }

        try {
            // safeStart() propagates bind errors; start() would only print them and carry on.
            proxy.safeStart();
        } catch (Exception e) {
            boolean bind = causedByBind(e);
            System.err.printf("GATHER-DYNAMODB-LOCAL FAILED %s:%d: %s%n",
                    bind ? "cannot bind " + HOST : "cannot start on " + HOST, port, e);
            System.err.flush();
            try {
                server.stop();
            } catch (Exception ignored) {
                // Already failing; the exit status carries the news.
            }
            System.exit(bind ? 2 : 1);
        }

        for (Connector connector : server.getConnectors()) {
            port = ((ServerConnector) connector).getLocalPort();
        }
        System.out.println("GATHER-DYNAMODB-LOCAL READY " + HOST + ":" + port);
        System.out.flush();
        proxy.join();
    }

    private static Server jettyServer(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        return (Server) field.get(proxy);
    }

    private static boolean causedByBind(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static void watchStdin() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) != -1) {
                    // Ignore input; only end-of-file matters.
                }
            } catch (IOException ignored) {
                // A broken stdin means the owner is gone too.
            }
            System.exit(0);
        }, "gather-stdin-watchdog");
        watcher.setDaemon(true);
        watcher.start();
    }
}
