from django.urls import path

from terugkeer.smt import views

app_name = "smt"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:smt_pk>/plannen/", views.meeting_plan, name="meeting_plan"),
    path("vergadering/<int:pk>/", views.meeting_detail, name="meeting"),
    path("vergadering/<int:pk>/deelnemers/", views.meeting_attendees, name="meeting_attendees"),
    path("vergadering/<int:pk>/verslag/", views.meeting_minutes, name="meeting_minutes"),
    path("vergadering/<int:pk>/beleidspunt/", views.meeting_policy_item, name="policy_item"),
    path("agendapunt/<int:pk>/advies/", views.item_advice, name="advice"),
    path("agendapunt/<int:pk>/dossier/", views.item_dossier, name="dossier"),
    path("traject/<int:pk>/", views.trajectory_page, name="trajectory"),
    path("traject/<int:pk>/voorstellen/", views.trajectory_propose, name="propose"),
    path("traject/<int:pk>/doorverwijzen/", views.trajectory_refer, name="refer"),
    path("traject/<int:pk>/intervisie/", views.trajectory_intervision, name="make_intervision"),
    path("actie/<int:pk>/afgerond/", views.action_done, name="action_done"),
    path("tweede-lijn/", views.second_line, name="second_line"),
    path("tweede-lijn/<int:pk>/opnemen/", views.referral_take_up, name="take_up"),
    path("tweede-lijn/<int:pk>/antwoord/", views.referral_answer, name="answer"),
    path("intervisie/", views.intervision_list, name="intervisions"),
    path("intervisie/<int:pk>/", views.intervision_detail, name="intervision"),
    path("intervisie/<int:pk>/pdf/", views.intervision_pdf, name="intervision_pdf"),
    path("beleid/", views.policy_list, name="policy"),
    path("afstemming/", views.alignment, name="alignment"),
]
