package io.mcksim.actors.serialization;

/** Registers {@link SampleMessages} for the tests; named in application-test.conf. */
public final class SampleRegistrar implements KryoRegistrar {

  @Override
  public int firstId() {
    return 9000;
  }

  @Override
  public int lastId() {
    return 9099;
  }

  @Override
  public void register(KryoRegistry.Builder registry) {
    registry
        .register(SampleMessages.Path.class, 9000)
        .register(SampleMessages.Cpu.class, 9001)
        .register(SampleMessages.Syscall.class, 9002)
        .register(SampleMessages.Ask.class, 9003)
        .register(SampleMessages.Reply.class, 9004)
        .register(SampleMessages.Buffers.class, 9005)
        .register(SampleMessages.Bag.class, 9006);
  }
}
