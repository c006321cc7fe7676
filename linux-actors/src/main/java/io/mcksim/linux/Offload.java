package io.mcksim.linux;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.serialization.SimMessage;
import io.mcksim.ikc.IkcPacket;

/** The messages of an offloaded system call on Linux's side, after it left the IKC ring. */
public final class Offload {

  private Offload() {}

  /**
   * mcctrl hands an offload request to the process's proxy.
   *
   * @param request the SYSCALL_ONESIDE packet (pid, tid, McKernel CPU, syscall number, argument)
   * @param replyTo the entity of the McKernel CPU whose thread waits (spins) for the result
   */
  public record Dispatch(IkcPacket request, int replyTo) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return request.fingerprint() * 31 + replyTo;
    }
  }

  /**
   * mcctrl wrote the result into the waiting McKernel thread's memory.
   *
   * @param tid   the thread that waits
   * @param ret   the return value
   */
  public record Return(int tid, long ret) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return RandomStreams.mix64(((long) tid << 32) ^ ret);
    }
  }
}
