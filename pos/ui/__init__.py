"""The cashier's Qt window: widgets and models only.

Widgets call ``pos.register.service.RegisterService`` (through ``pos.app.RunningRegister``) and
nothing below it: no SQL, no HTTP, no business rules here. Coroutines are started from slots with
``pos.ui.asyncio_qt`` on the qasync loop, so the Qt thread never waits on the network.
"""
