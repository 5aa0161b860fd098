"""PAdES seals on issued PDFs: the installation CA (``ca``), pluggable sealers per agency
(``signers``, configured by ``config``), sealing (``pades.seal_pdf``) and checking (``verify``)."""
