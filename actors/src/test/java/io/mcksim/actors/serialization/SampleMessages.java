package io.mcksim.actors.serialization;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/** Message shapes the serializer tests send: the kinds of fields mcksim protocols use. */
public final class SampleMessages {

  private SampleMessages() {
  }

  /** Which kernel path a request takes. */
  public enum Path { LOCAL, OFFLOADED, FAULT }

  /** A CPU, nested inside other messages. */
  public record Cpu(int node, int core) {
  }

  /** Primitives, a string, an enum, a nested record, lists, a map and an optional. */
  public record Syscall(long atNs, int number, double weight, boolean blocking, char tag, String name, Path path,
      Cpu cpu, List<Cpu> cpus, List<String> args, Map<String, Long> counters, Optional<String> note)
      implements SimMessage {
  }

  /** A request that carries where to reply. */
  public record Ask(ActorRef<Reply> replyTo, int seq) implements SimMessage {
  }

  /** The answer to an {@link Ask}. */
  public record Reply(int seq, long value) implements SimMessage {
  }

  /** Arrays of primitives and strings (records compare arrays by identity, so tests compare contents). */
  public record Buffers(byte[] bytes, int[] ints, long[] longs, double[] doubles, String[] names)
      implements SimMessage {
  }

  /** A message holding arbitrary values, to smuggle in classes nobody registered. */
  public record Bag(List<Object> items) implements SimMessage {
  }

  /** A message class that no registrar registers. */
  public record Unregistered(int x) implements SimMessage {
  }

  /** A plain value that no registrar registers. */
  public record Stray(int x) {
  }
}
