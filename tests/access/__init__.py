"""The isolation test: every endpoint × every role × own- and other-agency objects × anonymous."""
