from django.urls import path
from django.views.generic import RedirectView

from . import views, views_bank_accounts

app_name = "funds"

urlpatterns = [
    path("quy/", views.fund_list, name="funds"),
    path("quy/them/", views.fund_create, name="fund_create"),
    path("quy/<int:pk>/", views.fund_detail, name="fund"),
    path("quy/<int:pk>/bien-dong.xlsx", views.fund_movements_xlsx, name="fund_movements_xlsx"),
    path("quy/<int:pk>/dong/", views.fund_close, name="fund_close"),
    path("quy/tai-khoan/<int:pk>/", views.account_book, name="account"),
    path("ung-ho/", views.donation_list, name="donations"),
    path("ung-ho/them/", views.donation_create, name="donation_create"),
    path("ung-ho/<int:pk>/", views.donation_detail, name="donation"),
    path("ung-ho/<int:pk>/bien-nhan/", views.receipt_html, name="receipt"),
    path("ung-ho/<int:pk>/bien-nhan.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("ung-ho/<int:pk>/huy/", views.donation_reverse, name="donation_reverse"),
    path("ung-ho/<int:pk>/hien-thi/", views.donation_display, name="donation_display"),
    path("ung-ho/<int:pk>/cam-ket/", views.donation_apply, name="donation_apply"),
    path("ung-ho/<int:pk>/dinh-kem/", views.attachment_upload, {"kind": "ung-ho"}, name="donation_attach"),
    path("chi/<int:pk>/dinh-kem/", views.attachment_upload, {"kind": "chi"}, name="disbursement_attach"),
    path("cam-ket/<int:pk>/dinh-kem/", views.attachment_upload, {"kind": "cam-ket"}, name="pledge_attach"),
    path("tep/<int:pk>/", views.attachment_download, name="attachment"),
    path("nha-hao-tam/", views.donor_list, name="donors"),
    path("nha-hao-tam/them/", views.donor_create, name="donor_create"),
    path("nha-hao-tam/<int:pk>/", views.donor_detail, name="donor"),
    path("nha-hao-tam/<int:pk>/sua/", views.donor_edit, name="donor_edit"),
    path("cam-ket/", views.pledge_list, name="pledges"),
    path("cam-ket/them/", views.pledge_create, name="pledge_create"),
    path("cam-ket/<int:pk>/", views.pledge_detail, name="pledge"),
    path("cam-ket/<int:pk>/huy/", views.pledge_cancel, name="pledge_cancel"),
    path("chi/", views.disbursement_list, name="disbursements"),
    path("chi/them/", views.disbursement_create, name="disbursement_create"),
    path("chi/<int:pk>/", views.disbursement_detail, name="disbursement"),
    path("chi/<int:pk>/duyet/", views.disbursement_approve, name="disbursement_approve"),
    path("chi/<int:pk>/khong-duyet/", views.disbursement_reject, name="disbursement_reject"),
    path("chi/<int:pk>/rut-lai/", views.disbursement_withdraw, name="disbursement_withdraw"),
    path("chi/<int:pk>/huy/", views.disbursement_reverse, name="disbursement_reverse"),
    # The bank accounts: one list (each app above adds its links), declaring, (de)activating.
    path("ngan-hang/sao-ke/", views_bank_accounts.bank_account_list, name="bank_accounts"),
    path("ngan-hang/them/", views_bank_accounts.bank_account_create, name="bank_account_create"),
    path(
        "ngan-hang/<int:pk>/xac-nhan/",
        views_bank_accounts.bank_account_confirm,
        name="bank_account_confirm",
    ),
    path(
        "ngan-hang/<int:pk>/doi-trang-thai/",
        views_bank_accounts.bank_account_toggle,
        name="bank_account_toggle",
    ),
    # The fund's former list of bank accounts, bookmarked by many: the one list now.
    path(
        "ngan-hang/",
        RedirectView.as_view(pattern_name="funds:bank_accounts", permanent=True, query_string=True),
        name="bank_accounts_moved",
    ),
    path("so-cai/", views.posting_list, name="postings"),
    path("so-cai/<int:pk>/", views.posting_detail, name="posting"),
    path("so-cai/<int:pk>/dao/", views.posting_reverse, name="posting_reverse"),
    path("so-cai/tom-tat/", views.ledger_digests, name="digests"),
]
