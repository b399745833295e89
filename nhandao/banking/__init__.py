"""Banking: the fund's bank accounts seen from the bank's side.

The model `funds.BankAccount` stays in `funds`: every bank ledger account, gift by transfer and
payment to a bank account points at one, and `banking` sits above `funds` (it imports the fund,
never the other way).  The PAGES and URLS of bank accounts are banking's: one list
(`banking:accounts`, with the statement queue counts and the VietQR links; the old `/ngan-hang/`
redirects to it), declaring (`banking:account_create`), (de)activating (`banking:account_toggle`),
statements, reconciliation and VietQR codes; one getter, `banking.selectors.bank_account_get`.
"""
