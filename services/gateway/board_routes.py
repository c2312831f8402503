"""The pages of the supervising side, mixed into GatewayService: the ledger (督办台账) and
its export, the dashboard (督办看板), the admin pages (系统管理) and the reports (通报考核)."""
from nameko.web.handlers import http

from . import admin_pages, dashboard_pages, ledger_pages, report_pages
from .pages import page

DEAD_LETTER = "/admin/dead-letters/<int:letter_id>"


class BoardRoutes:
    @http("GET", "/")
    @page
    def page_items(self, request):
        return ledger_pages.render_ledger(self, request)

    @http("GET", "/ledger.xlsx")
    @page
    def page_ledger_xlsx(self, request):
        return ledger_pages.ledger_xlsx(self, request)

    @http("GET", "/dashboard")
    @page
    def page_dashboard(self, request):
        return dashboard_pages.render_dashboard(self, request)

    # ---- administration
    @http("GET", "/admin")
    @page
    def page_admin(self, request):
        return admin_pages.render_directory(self, request)

    @http("POST", "/admin")
    @page
    def page_admin_submit(self, request):
        return admin_pages.directory_action(self, request)

    @http("GET", "/admin/tokens")
    @page
    def page_tokens(self, request):
        return admin_pages.render_tokens(self, request)

    @http("POST", "/admin/tokens")
    @page
    def page_tokens_submit(self, request):
        return admin_pages.token_action(self, request)

    @http("GET", "/admin/dead-letters")
    @page
    def page_dead_letters(self, request):
        return admin_pages.render_dead_letters(self, request)

    @http("POST", DEAD_LETTER)
    @page
    def page_dead_letter_submit(self, request, letter_id):
        return admin_pages.dead_letter_action(self, request, letter_id)

    # ---- reports and appraisals
    @http("GET", "/reports")
    @page
    def page_reports(self, request):
        return report_pages.render_reports(self, request)

    @http("GET", "/reports/monthly.<any(docx,xlsx):fmt>")
    @page
    def page_report_document(self, request, fmt):
        return report_pages.report_document(self, request, fmt)

    @http("GET", "/reports/appraisals/<appraisal_id>")
    @page
    def page_appraisal(self, request, appraisal_id):
        return report_pages.render_appraisal(self, request, appraisal_id)

    @http("GET", "/reports/appraisals/<appraisal_id>.<any(docx,xlsx):fmt>")
    @page
    def page_appraisal_document(self, request, appraisal_id, fmt):
        return report_pages.appraisal_document(self, request, appraisal_id, fmt)
