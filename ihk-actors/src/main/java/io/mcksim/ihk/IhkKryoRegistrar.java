package io.mcksim.ihk;

import io.mcksim.actors.serialization.KryoRegistrar;
import io.mcksim.actors.serialization.KryoRegistry;

/** The IHK management plane's messages and dump format in the Kryo table: ids 2000-2099. */
public final class IhkKryoRegistrar implements KryoRegistrar {

  @Override
  public int firstId() {
    return 2000;
  }

  @Override
  public int lastId() {
    return 2099;
  }

  @Override
  public void register(KryoRegistry.Builder r) {
    r.register(IhkCommand.class, 2000);
    r.register(IhkMaster.Request.class, 2001);
    r.register(IhkMaster.Reply.class, 2002);
    r.register(IhkMaster.Kmsg.class, 2003);
    r.register(IhkMaster.BootResult.class, 2004);
    r.register(IhkMaster.ShutdownDone.class, 2005);
    r.register(IhkMaster.Frozen.class, 2006);
    r.register(IhkMaster.InjectBootFailure.class, 2007);
    r.register(IhkMaster.HangFound.class, 2008);
    r.register(IhkMaster.StatusChanged.class, 2009);
    r.register(IhkMaster.IhkError.class, 2015);
    r.register(OsInstance.Boot.class, 2010);
    r.register(OsInstance.Shutdown.class, 2011);
    r.register(OsInstance.Freeze.class, 2012);
    r.register(OsInstance.Abandon.class, 2013);
    r.register(OsInstance.Hung.class, 2014);
    r.register(Lwk.BringUp.class, 2020);
    r.register(Lwk.Online.class, 2021);
    r.register(Lwk.Failed.class, 2022);
    r.register(Lwk.Stop.class, 2023);
    r.register(Lwk.Stopped.class, 2024);
    r.register(Lwk.Init.class, 2030);
    r.register(Lwk.Ready.class, 2031);
    r.register(Operator.Job.class, 2040);
    r.register(Operator.Step.class, 2041);
    r.register(Operator.Kind.class, 2042);
    r.register(InstanceDump.class, 2050);
  }
}
