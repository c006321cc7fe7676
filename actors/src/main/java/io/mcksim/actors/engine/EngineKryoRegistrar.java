package io.mcksim.actors.engine;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.mcksim.actors.serialization.KryoRegistrar;
import io.mcksim.actors.serialization.KryoRegistry;
import io.mcksim.actors.serialization.LimitedInput;

/**
 * The engine's messages that cross JVMs in a run spread over JVMs, in the Kryo table: ids 1000-1099
 * (the window protocol, the cluster's own messages, and the {@link EngineSignal}s that ride in batches;
 * an {@link EngineSignal.AskTimeout} never leaves its entity, but is a signal like the others).
 * A cross-domain batch is written field by field (no object per event); a model failure in a worker
 * JVM crosses as its exception's class name, message and stack trace.
 */
public final class EngineKryoRegistrar implements KryoRegistrar {

  @Override
  public int firstId() {
    return 1000;
  }

  @Override
  public int lastId() {
    return 1099;
  }

  @Override
  public void register(KryoRegistry.Builder r) {
    r.register(DomainSequencer.Start.class, 1000);
    r.register(DomainSequencer.RunWindow.class, 1001);
    r.register(DomainSequencer.CrossBatch.class, 1002);
    r.register(EventBuffer.class, 1003, EventBufferSerializer::new);
    r.register(EngineCoordinator.WindowDone.class, 1004);
    r.register(EngineCoordinator.DomainFailed.class, 1005, DomainFailedSerializer::new);
    r.register(ClusterMessages.WorkerHello.class, 1006);
    r.register(ClusterMessages.Setup.class, 1007);
    r.register(ClusterMessages.Ready.class, 1008);
    r.register(ClusterMessages.SetupFailed.class, 1009);
    r.register(ClusterMessages.Collect.class, 1010);
    r.register(ClusterMessages.Totals.class, 1011);
    r.register(ClusterMessages.TotalsDone.class, 1012);
    r.register(ClusterMessages.Shutdown.class, 1013);
    r.register(EngineCoordinator.WindowReports.class, 1014);
    r.register(ClusterMessages.Expect.class, 1015);
    r.register(ClusterMessages.WindowOrders.class, 1016);
    r.register(ClusterMessages.Stopping.class, 1017);
    r.register(ClusterMessages.Batches.class, 1018);
    // supervision, deathwatch and ask signals travel inside cross-domain batches
    r.register(EngineSignal.Watch.class, 1019);
    r.register(EngineSignal.Unwatch.class, 1020);
    r.register(EngineSignal.Died.class, 1021);
    r.register(EngineSignal.FailureNotice.class, 1022);
    r.register(EngineSignal.Restart.class, 1023);
    r.register(EngineSignal.Stop.class, 1024);
    r.register(EngineSignal.AskRequest.class, 1025);
    r.register(EngineSignal.AskReply.class, 1026);
    r.register(EngineSignal.AskFailed.class, 1027);
    r.register(EngineSignal.AskTimeout.class, 1028);
    r.register(EngineSignal.Envelope.class, 1029);
  }

  /** Size, then each event's key, data and payload (payloads by their own registrations). */
  static final class EventBufferSerializer extends Serializer<EventBuffer> {
    @Override
    public void write(Kryo kryo, Output out, EventBuffer b) {
      out.writeVarInt(b.size, true);
      for (int i = 0; i < b.size; i++) {
        out.writeVarLong(b.time[i], true);
        out.writeVarInt(b.target[i], true);
        out.writeVarInt(b.source[i], true);
        out.writeVarLong(b.seq[i], true);
        out.writeVarLong(b.data[i], false);
        kryo.writeClassAndObject(out, b.payload[i]);
      }
    }

    @Override
    public EventBuffer read(Kryo kryo, Input in, Class<? extends EventBuffer> type) {
      EventBuffer b = new EventBuffer();
      int n = LimitedInput.readLength(in, "a batch of events");
      for (int i = 0; i < n; i++) {
        long time = in.readVarLong(true);
        int target = in.readVarInt(true);
        int source = in.readVarInt(true);
        long seq = in.readVarLong(true);
        long data = in.readVarLong(false);
        b.add(time, target, source, seq, data, kryo.readClassAndObject(in));
      }
      return b;
    }
  }

  /** The failure's place, and its exception as class name, message and stack trace. */
  static final class DomainFailedSerializer extends Serializer<EngineCoordinator.DomainFailed> {
    @Override
    public void write(Kryo kryo, Output out, EngineCoordinator.DomainFailed f) {
      out.writeVarInt(f.domain(), true);
      out.writeVarInt(f.entity(), true);
      out.writeVarLong(f.time(), false);
      Throwable e = f.error();
      out.writeString(e instanceof RemoteModelError r ? r.originalClass : e.getClass().getName());
      out.writeString(e instanceof RemoteModelError r ? r.originalMessage : e.getMessage());
      StackTraceElement[] trace = e.getStackTrace();
      out.writeVarInt(trace.length, true);
      for (StackTraceElement t : trace) {
        out.writeString(t.getClassName());
        out.writeString(t.getMethodName());
        out.writeString(t.getFileName());
        out.writeVarInt(t.getLineNumber(), false);
      }
    }

    @Override
    public EngineCoordinator.DomainFailed read(Kryo kryo, Input in,
        Class<? extends EngineCoordinator.DomainFailed> type) {
      int domain = in.readVarInt(true);
      int entity = in.readVarInt(true);
      long time = in.readVarLong(false);
      RemoteModelError error = new RemoteModelError(in.readString(), in.readString());
      StackTraceElement[] trace = new StackTraceElement[LimitedInput.readLength(in, "a stack trace")];
      for (int i = 0; i < trace.length; i++) {
        trace[i] = new StackTraceElement(in.readString(), in.readString(), in.readString(), in.readVarInt(false));
      }
      error.setStackTrace(trace);
      return new EngineCoordinator.DomainFailed(domain, entity, time, error);
    }
  }

  /** A model's exception thrown in another JVM: its class name and message, with its stack trace. */
  static final class RemoteModelError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String originalClass;
    final String originalMessage;

    RemoteModelError(String originalClass, String originalMessage) {
      super(originalClass + (originalMessage == null ? "" : ": " + originalMessage) + " (in a worker JVM)");
      this.originalClass = originalClass;
      this.originalMessage = originalMessage;
    }
  }
}
