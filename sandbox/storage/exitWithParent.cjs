// Preloaded into the Azurite child (node --require). The child is spawned with an IPC channel; when the sandbox
// process dies for any reason, even SIGKILL, the channel closes and this exits the child, so no Azurite is orphaned.
process.on('disconnect', () => process.exit(0));
