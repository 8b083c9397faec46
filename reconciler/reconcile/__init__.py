"""What acts through a client: the engine that reads, plans, guards, applies and verifies
(:mod:`~reconciler.reconcile.engine`), the execution of a plan's steps
(:mod:`~reconciler.reconcile.steps`), and the export of a live org as configuration
(:mod:`~reconciler.reconcile.export`)."""
