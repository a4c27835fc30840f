DROP TABLE division_changes;
DROP TABLE naming_words;
DROP TABLE name_cases;
