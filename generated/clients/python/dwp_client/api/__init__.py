# flake8: noqa

# import apis into api package
from dwp_client.api.aura_api import AuraApi
from dwp_client.api.auth_api import AuthApi
from dwp_client.api.cases_api import CasesApi
from dwp_client.api.hitl_api import HitlApi
from dwp_client.api.notifications_api import NotificationsApi
from dwp_client.api.ops_api import OpsApi

