from django.contrib import admin

from nhandao.core.admin import ReadOnlyAdmin

from .models import LegacyDistrict, LegacyProvince, LegacyWard, Province, Ward, WardConversion


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["code", "search_key"]


@admin.register(Ward)
class WardAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["province"]
    search_fields = ["code", "search_key"]


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "successor"]


@admin.register(LegacyDistrict)
class LegacyDistrictAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "province"]
    search_fields = ["code", "search_key"]


@admin.register(LegacyWard)
class LegacyWardAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "district"]
    search_fields = ["code", "search_key"]


@admin.register(WardConversion)
class WardConversionAdmin(ReadOnlyAdmin):
    list_display = ["old", "new", "partly"]
    raw_id_fields = ["old", "new"]
