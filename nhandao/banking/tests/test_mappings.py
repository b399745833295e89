import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nhandao.banking import services, statements
from nhandao.banking.models import StatementColumnMapping
from nhandao.banking.statements import MappingSpec, StatementError
from nhandao.core.models import AuditEvent

from . import samples

CSV = (
    "Bao cao giao dich\n"
    "Ngay,Noi dung,So tien,Ma GD,Nguoi gui\n"
    '09/09/2024 08:00,Ung ho bao Yagi,"1,000,000",GD001,NGUYEN VAN AN\n'
    "09/09/2024 09:00,Phi dich vu,-11000,GD002,\n"
    '10/09/2024 10:30,"TRAN THI BICH ung ho","300,000",GD003,TRAN THI BICH\n'
)


def by_names(**kw) -> MappingSpec:
    base = {
        "name": "Ngân hàng X",
        "date": "Ngay",
        "description": ("Noi dung",),
        "amount": "So tien",
        "reference": "Ma GD",
        "counterparty_name": "Nguoi gui",
    }
    return MappingSpec(**{**base, **kw})


def test_a_csv_is_read_through_a_mapping_by_header_names():
    st = statements.read(CSV.encode(), "x.csv", mapping=by_names())
    assert st.format == "mapping:Ngân hàng X" and st.ok
    assert [(line.amount, line.reference, line.counterparty_name) for line in st.lines] == [
        (1_000_000, "GD001", "NGUYEN VAN AN"),
        (-11_000, "GD002", ""),
        (300_000, "GD003", "TRAN THI BICH"),
    ]
    assert st.lines[2].identity == "ref:GD003:C"


def test_an_xlsx_is_read_through_a_mapping_by_column_letters():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ngày", "Ghi chú 1", "Ghi chú 2", "Rút", "Nộp"])
    ws.append(["9/9/2024", "Ung ho", "bao Yagi", None, 500000])
    ws.append(["10/9/2024", "Phi", None, 11000, None])
    out = io.BytesIO()
    wb.save(out)
    spec = MappingSpec(name="X", date="A", description=("B", "C"), debit="D", credit="E")
    st = statements.read(out.getvalue(), "x.xlsx", mapping=spec)
    assert [(line.amount, line.description) for line in st.lines] == [
        (500_000, "Ung ho bao Yagi"),
        (-11_000, "Phi"),
    ]


def test_a_mapping_whose_columns_are_not_in_the_file_is_refused():
    with pytest.raises(StatementError, match="Ngân hàng X"):
        statements.read(CSV.encode(), "x.csv", mapping=by_names(date="Ngay hach toan"))


def test_a_signed_amount_where_credits_are_negative():
    st = statements.read(CSV.encode(), "x.csv", mapping=by_names(credit_is_negative=True))
    assert st.lines[0].amount == -1_000_000


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"date": ""}, "date"),
        ({"description": ()}, "description"),
        ({"amount": ""}, "amount"),
        ({"debit": "Rut"}, "amount"),
        ({"reference": "C"}, "date"),
    ],
)
def test_incomplete_or_mixed_mappings_are_refused(kw, field):
    with pytest.raises(ValidationError) as exc:
        by_names(**kw).validate()
    assert field in exc.value.error_dict


FIELDS = {
    "name": "Sao kê ngân hàng X",
    "date_column": "Ngay",
    "description_columns": "Noi dung",
    "amount_column": "So tien",
    "reference_column": "Ma GD",
    "counterparty_name_column": "Nguoi gui",
}


@pytest.fixture
def mapping(world):
    return services.column_mapping_create(actor=world.finance_officer_a, unit=world.commune_a, **FIELDS)


def test_a_finance_officer_saves_a_mapping_and_it_is_audited(world, mapping):
    assert mapping.unit == world.commune_a and mapping.created_by == world.finance_officer_a
    assert AuditEvent.objects.filter(action="banking.mapping.create", object_id=str(mapping.pk)).exists()
    st = statements.read(CSV.encode(), "x.csv", mapping=mapping.spec())
    assert st.summary().credit_total == 1_300_000


def test_a_user_of_another_commune_cannot_save_a_mapping_for_it(world):
    with pytest.raises(PermissionDenied):
        services.column_mapping_create(actor=world.user_b, unit=world.commune_a, **FIELDS)
    with pytest.raises(PermissionDenied):
        services.column_mapping_create(actor=world.inspector, unit=world.commune_a, **FIELDS)


def test_a_mapping_name_is_unique_within_a_unit(world, mapping):
    with pytest.raises(ValidationError) as exc:
        services.column_mapping_create(actor=world.finance_officer_a, unit=world.commune_a, **FIELDS)
    assert "name" in exc.value.error_dict


def test_an_invalid_mapping_is_not_saved(world):
    with pytest.raises(ValidationError) as exc:
        services.column_mapping_create(
            actor=world.finance_officer_a, unit=world.commune_a, **{**FIELDS, "amount_column": ""}
        )
    assert "amount_column" in exc.value.error_dict
    assert not StatementColumnMapping.objects.exists()


def test_updating_and_deleting_a_mapping_are_audited(world, mapping):
    services.column_mapping_update(actor=world.finance_officer_a, mapping=mapping, bank_code="VCB")
    mapping.refresh_from_db()
    assert mapping.bank_code == "VCB"
    event = AuditEvent.objects.get(action="banking.mapping.update")
    assert event.changes["bank_code"] == {"before": "", "after": "VCB"}
    services.column_mapping_delete(actor=world.finance_officer_a, mapping=mapping)
    assert not StatementColumnMapping.objects.exists()
    assert AuditEvent.objects.filter(action="banking.mapping.delete").exists()


# -- pages -------------------------------------------------------------------


def test_the_mapping_list_shows_mappings_in_scope_only(world, mapping):
    services.column_mapping_create(
        actor=world.city_admin, unit=world.commune_b, **{**FIELDS, "name": "Của B"}
    )
    html = world.client(world.finance_officer_a).get(reverse("banking:mappings")).content.decode()
    assert "Sao kê ngân hàng X" in html and "Của B" not in html


def test_the_mapping_list_is_refused_without_the_permission(world):
    assert world.client(world.entry_a).get(reverse("banking:mappings")).status_code == 403


def test_the_mapping_list_needs_a_login(world):
    from django.conf import settings

    response = world.client().get(reverse("banking:mappings"))
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL
    )


def test_the_mapping_list_uses_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for i in range(30):
        services.column_mapping_create(
            actor=world.city_admin, unit=world.commune_a, **{**FIELDS, "name": f"M{i}"}
        )
    client = world.client(world.city_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("banking:mappings"))
    assert response.status_code == 200


def test_creating_a_mapping_through_the_page(world):
    client = world.client(world.finance_officer_a)
    assert client.get(reverse("banking:mapping_create")).status_code == 200
    response = client.post(reverse("banking:mapping_create"), {**FIELDS, "unit": world.commune_a.pk})
    assert response.status_code == 302
    assert StatementColumnMapping.objects.get().unit == world.commune_a


def test_a_mapping_cannot_be_created_for_a_unit_outside_the_scope(world):
    client = world.client(world.finance_officer_a)
    response = client.post(reverse("banking:mapping_create"), {**FIELDS, "unit": world.commune_b.pk})
    assert response.status_code == 200 and not StatementColumnMapping.objects.exists()


def test_editing_another_communes_mapping_answers_404(world, mapping):
    client = world.client(world.user_b)
    assert client.get(reverse("banking:mapping_edit", args=[mapping.pk])).status_code == 404
    assert client.post(reverse("banking:mapping_delete", args=[mapping.pk])).status_code == 404
    assert StatementColumnMapping.objects.filter(pk=mapping.pk).exists()


def test_an_inspector_sees_but_cannot_edit_a_mapping(world, mapping):
    client = world.client(world.inspector)
    assert "Sao kê ngân hàng X" in client.get(reverse("banking:mappings")).content.decode()
    assert client.get(reverse("banking:mapping_edit", args=[mapping.pk])).status_code == 403


def test_editing_and_deleting_through_the_pages(world, mapping):
    client = world.client(world.finance_officer_a)
    url = reverse("banking:mapping_edit", args=[mapping.pk])
    response = client.post(url, {**FIELDS, "name": "Đổi tên"})
    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.name == "Đổi tên"
    assert client.post(reverse("banking:mapping_delete", args=[mapping.pk])).status_code == 302
    assert not StatementColumnMapping.objects.exists()


# -- statement preview -------------------------------------------------------


def test_the_statement_preview_reads_an_uploaded_file(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client(world.finance_officer_a)
    upload = SimpleUploadedFile("vcb.xlsx", samples.vietcombank_xlsx(samples.sample_txns()))
    html = client.post(reverse("banking:statement_preview"), {"file": upload}).content.decode()
    assert "Vietcombank – sao kê Excel" in html
    assert "24.312.345 ₫" in html and "đã kiểm tra từng dòng" in html


def test_the_statement_preview_uses_a_mapping_of_a_parent_unit(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    mapping = services.column_mapping_create(actor=world.city_admin, unit=world.city, **FIELDS)
    client = world.client(world.finance_officer_a)
    upload = SimpleUploadedFile("x.csv", CSV.encode())
    html = client.post(
        reverse("banking:statement_preview"), {"file": upload, "mapping": mapping.pk}
    ).content.decode()
    assert "1.300.000 ₫" in html


def test_the_statement_preview_refuses_a_mapping_of_another_commune(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    mapping = services.column_mapping_create(actor=world.city_admin, unit=world.commune_b, **FIELDS)
    client = world.client(world.finance_officer_a)
    upload = SimpleUploadedFile("x.csv", CSV.encode())
    response = client.post(reverse("banking:statement_preview"), {"file": upload, "mapping": mapping.pk})
    assert "1.300.000 ₫" not in response.content.decode()
    assert response.context["form"].errors["mapping"]


def test_the_statement_preview_shows_a_refusal_on_the_form(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client(world.finance_officer_a)
    upload = SimpleUploadedFile("x.xlsx", b"<html><body>het phien</body></html>")
    html = client.post(reverse("banking:statement_preview"), {"file": upload}).content.decode()
    assert "Tệp có đuôi Excel nhưng thực chất là trang HTML" in html


def test_the_statement_preview_is_refused_to_users_without_the_permission(world):
    assert world.client(world.viewer_a).get(reverse("banking:statement_preview")).status_code == 403
    assert world.client(world.user_b).get(reverse("banking:statement_preview")).status_code == 403
    assert world.client().get(reverse("banking:statement_preview")).status_code == 302


def test_the_vietqr_preview_shows_the_code_and_links_the_png(world):
    client = world.client(world.entry_a)
    params = {
        "bin": "970403",
        "account": "0011012345678",
        "amount": "180000",
        "purpose": "thanh toan don hang",
        "bill": "NPS6869",
    }
    response = client.get(reverse("banking:vietqr"), params)
    html = response.content.decode()
    assert "<svg" in html and "63042E2E" in html
    png = client.get(response.context["png_url"])
    assert png.status_code == 200 and png["Content-Type"] == "image/png"


def test_the_vietqr_preview_shows_errors_on_the_form(world):
    client = world.client(world.entry_a)
    params = {"bin": "970403", "account": "1", "purpose": "x" * 40}
    html = client.get(reverse("banking:vietqr"), params).content.decode()
    assert "Nội dung chuyển khoản dài 40 ký tự; VietQR cho phép tối đa 25 ký tự không dấu." in html
    assert "<svg" not in html
    # The same form with a purpose that fits draws the code and shows no error.
    response = client.get(reverse("banking:vietqr"), {**params, "purpose": "x" * 25})
    assert "<svg" in response.content.decode() and "dài 25 ký tự" not in response.content.decode()


def test_the_vietqr_pages_need_a_login(world):
    assert world.client().get(reverse("banking:vietqr")).status_code == 302
    assert (
        world.client().get(reverse("banking:vietqr_png"), {"bin": "970403", "account": "1"}).status_code
        == 302
    )
