"""Banking: the fund's bank accounts seen from the bank's side.

A bank account itself (model, form, services, the one list and getter, its pages and URLs) is the
fund's (`funds.views_bank_accounts`, see funds/README.md): the ledger points at it and `banking`
sits above `funds`.  Banking reads statements into an account, sorts and posts their lines,
reconciles periods and makes VietQR codes; it adds its links to the fund's list of accounts through
`funds.views_bank_accounts.register_account_links` (`account_page.py`).
"""
