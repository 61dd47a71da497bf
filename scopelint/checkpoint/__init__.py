"""`scopelint checkpoint`: reading a checkpoint's table (``reader``), which keys are optimizer
state and the closest key to a missing one (``keys``), each restore the program runs compared
with the checkpoint (``restore``, ``restore_calls``), and the rules that report it (``rules``)."""
