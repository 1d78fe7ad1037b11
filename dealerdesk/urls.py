from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from dealerdesk.core import views as core_views
from dealerdesk.erp import api as erp_api

admin.site.site_header = _("DealerDesk administration")
admin.site.site_title = "DealerDesk"
admin.site.index_title = _("Supplier data")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("language/", core_views.language_set, name="language_set"),
    path("accounts/", include("dealerdesk.accounts.urls")),
    path("scope/", include("dealerdesk.tenancy.urls")),
    path("catalog/", include("dealerdesk.catalog.urls")),
    path("companies/", include("dealerdesk.companies.urls")),
    path("orders/", include("dealerdesk.orders.urls")),
    path("documents/", include("dealerdesk.documents.urls")),
    path("shipments/", include("dealerdesk.shipments.urls")),
    path("finance/", include("dealerdesk.finance.urls")),
    path("notifications/", include("dealerdesk.notifications.urls")),
    path("manager/erp/", include("dealerdesk.erp.urls")),
    path("manager/", include("dealerdesk.manager.urls")),
    path("api/erp/v1/", include((erp_api.urlpatterns(), "erp_api"))),
    path(settings.EXCHANGE_1C_PATH, include("dealerdesk.erp.commerceml.urls")),
    path("admin/", admin.site.urls),
]
