package io.mcksim.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Where a JVM of a run spread over JVMs listens, or which one it joins, checked as options before
 * anything starts: a host that is an IP address or a host name that resolves, a port in its range, and
 * for a JVM's own address one it can listen at. Each refusal is one line that names the option.
 */
record ClusterAddress(String host, InetAddress address, int port) {

  /** Highest TCP port. */
  static final int LAST_PORT = 65_535;

  private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  /** Whether a JVM at this address is reachable from this machine only. */
  boolean loopback() {
    return address.isLoopbackAddress();
  }

  /**
   * {@code host}:{@code port} as an address for this JVM to listen at (port 0: any free one); whether it
   * can is {@link #checkListen}'s question.
   */
  static ClusterAddress listen(String hostOption, String host, String portOption, int port) {
    ClusterAddress a = new ClusterAddress(host, resolve(hostOption, host), port(portOption + " " + port, port, 0));
    if (a.address().isAnyLocalAddress()) {
      throw new IllegalArgumentException(hostOption + " " + host + ": a wildcard, not an address; give the address "
          + "other JVMs reach this one at (127.0.0.1 for workers on this machine only)");
    }
    return a;
  }

  /** Listens here for a moment, as Pekko will: an address of another machine or a port in use is refused now. */
  void checkListen(String hostOption, String portOption) {
    probe(hostOption, 0);
    if (port != 0) {
      probe(portOption, port);
    }
  }

  /** {@code HOST:PORT} ({@code [IPv6]:PORT}), the address of a JVM to join, as option {@code option} gives it. */
  static ClusterAddress join(String option, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    String host = colon > 0 ? hostPort.substring(0, colon) : "";
    String digits = colon > 0 ? hostPort.substring(colon + 1) : "";
    if (host.isEmpty() || !digits.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException(option + " '" + hostPort + "': expected HOST:PORT, the address the "
          + "coordinating JVM prints (for example 10.0.0.5:2552)");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new ClusterAddress(host, resolve(option, host), port(option + " " + hostPort, Integer.parseInt(digits), 1));
  }

  /** {@code port} within {@code least}..65535; {@code shown} is the option and its value. */
  private static int port(String shown, int port, int least) {
    if (port < least || port > LAST_PORT) {
      throw new IllegalArgumentException(shown + ": port " + port + " is out of range; a port is " + least + " to "
          + LAST_PORT + (least == 0 ? " (0: any free port)" : ""));
    }
    return port;
  }

  /** An IP address, or a host name that resolves; never a lookup for what cannot be a name. */
  static InetAddress resolve(String option, String host) {
    String shown = option + " '" + host + "'";
    if (host.isEmpty()) {
      throw new IllegalArgumentException(shown + ": empty; give an IP address or a host name");
    }
    if (NUMERIC.matcher(host).matches()) {
      String[] parts = host.split("\\.", -1);
      if (parts.length != 4) {
        throw new IllegalArgumentException(shown + ": an IPv4 address has 4 numbers separated by dots");
      }
      for (String part : parts) {
        if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
          throw new IllegalArgumentException(shown + ": not an IPv4 address ('" + part + "' is not a number from "
              + "0 to 255)");
        }
      }
    } else if (!host.contains(":") && !hostName(host)) {
      throw new IllegalArgumentException(shown + ": not an IP address or a host name (letters, digits, '-' "
          + "and '.')");
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(shown + ": " + (host.contains(":") ? "not an IPv6 address"
          : "unknown host (it does not resolve)"));
    }
  }

  private static boolean hostName(String host) {
    if (host.length() > 253) {
      return false;
    }
    for (String label : (host.endsWith(".") ? host.substring(0, host.length() - 1) : host).split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Listens at this address and {@code port} for a moment: what Pekko will do, refused here with the option. */
  private void probe(String option, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(address, port));
    } catch (IOException | SecurityException e) {
      throw new IllegalArgumentException(option + " " + (port == 0 ? host : port) + ": this JVM cannot listen at "
          + host + (port == 0 ? "" : ":" + port) + " (" + e.getMessage() + "); "
          + (port == 0 ? "give an address of this machine" : "choose a free port, or 0 for any"));
    }
  }
}
