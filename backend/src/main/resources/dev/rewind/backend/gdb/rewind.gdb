# Rewind's gdb commands. Load with: source FILE (./rewind gdb-init prints FILE's path), or start
# gdb through './rewind gdb -- PROGRAM ARGS', which loads it and connects.
#
# Restarts reach gdb as 'run c<CRID>' (as with rr): gdb kills the process (Rewind keeps every
# checkpoint), then runs it again, and Rewind restores the checkpoint instead of starting anew.
# 'run b<K>' goes back K user-visible stops. Going back is checkpoint undo: the program runs
# forward again from a checkpoint, live (output and syscalls repeat); it is not instruction-level
# reverse execution.

# gdb and Rewind's gdbserver always share a machine (a stdio pipe, or TCP on loopback): gdb reads
# the program and its libraries from the local filesystem, not through the stub's host I/O (vFile
# serves them too, a packet per 16 KiB, and costs a 'run' about 0.2 s). /proc files still come
# through the stub.
set sysroot /

# Runs 'run ARG' without gdb's "Start it from the beginning?" question, once the stub said that
# ARG names something to restart (gdb kills the live process before it sends the run).
define _rw-run
  monitor can-restart $arg0
  set $_rw_confirm = $_gdb_setting("confirm")
  set confirm off
  run $arg0
  if $_rw_confirm
    set confirm on
  end
end

define rw-checkpoint
  if $argc == 0
    monitor checkpoint
  else
    monitor checkpoint $arg0
  end
end
document rw-checkpoint
Checkpoint the stopped program: rw-checkpoint [LABEL]. Prints the checkpoint's number (crid).
end

define rw-restart
  if $argc != 1
    echo usage: rw-restart CRID\n
  else
    _rw-run c$arg0
  end
end
document rw-restart
Restart the program from checkpoint CRID: rw-restart CRID (the same as 'run cCRID').
The checkpoint stays: you can restart from it again.
end

define rw-list
  monitor checkpoints
end
document rw-list
List the checkpoints (crid, label, reason, parent, memory, location).
end

define rw-drop
  if $argc != 1
    echo usage: rw-drop CRID\n
  else
    monitor drop $arg0
  end
end
document rw-drop
Free checkpoint CRID: rw-drop CRID.
end

define rw-back
  if $argc == 0
    _rw-run b1
  else
    _rw-run b$arg0
  end
end
document rw-back
Go back to the K-th previous stop you saw (default 1): rw-back [K].
Rewind checkpoints at every stop gdb shows you (monitor auto-checkpoint on|off); going back
restarts the program from such a checkpoint. It is not instruction-level reverse execution:
continuing runs the program forward again, live.
end

# Every stop gdb shows the user (not its internal stops) becomes a checkpoint for rw-back.
define hook-stop
  monitor stop-mark
end

# 'run c<N>' / 'run b<K>' set the program's arguments to "c<N>"; put the previous arguments back
# afterwards, so that a later plain 'run' starts the program from the beginning. (gdb 13's
# $_gdb_setting_str does not see the arguments, hence Python.)
python
import re as _rw_re
def _rw_args():
    out = gdb.execute("show args", to_string=True)
    return out[out.index('"') + 1:out.rindex('"')]
end
define hook-run
  python _rw_saved_args = _rw_args()
end
define hookpost-run
  python if _rw_re.fullmatch(r"[cb][0-9]+", _rw_args()): gdb.execute("set args " + _rw_saved_args)
end
