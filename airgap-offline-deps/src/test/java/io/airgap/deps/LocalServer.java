package io.airgap.deps;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server process the tests start on 127.0.0.1 and a free port: waits until it listens, reports
 * its log when it dies on the way, and stops it on close.
 */
final class LocalServer implements AutoCloseable {
  private final Process process;
  private final int port;

  private LocalServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** A port nothing listens on right now. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Starts {@code command}, writing its output to {@code log}, and waits up to ten seconds for it
   * to accept connections on {@code port}.
   */
  static LocalServer start(String name, List<String> command, Path log, int port)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    for (int i = 0; i < 200; i++) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return new LocalServer(process, port);
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IOException(name + " stopped: " + Files.readString(log));
        }
        Thread.sleep(50);
      }
    }
    process.destroyForcibly();
    throw new IOException(name + " did not listen on port " + port);
  }

  /** The base URL, for example {@code http://127.0.0.1:41234/}. */
  String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
